"""Infrastructure of this project: the stack (tap_stack) and its constructs (constructs/)."""
