"""One construct per service; TapStack creates each one with itself as the scope."""
