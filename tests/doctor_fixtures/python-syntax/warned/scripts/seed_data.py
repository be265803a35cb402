"""Seeds the table (run by hand, never by the app)."""

print "seeding"
