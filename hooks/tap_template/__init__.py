"""tap-template's own code: the verification copier runs on a generated project."""
