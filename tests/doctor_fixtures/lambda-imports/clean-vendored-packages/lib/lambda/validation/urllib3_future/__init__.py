import brotli  # an optional dependency of the vendored package
