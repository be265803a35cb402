import routes

for name in routes.NAMES:
    globals()[name] = routes.make(name)
