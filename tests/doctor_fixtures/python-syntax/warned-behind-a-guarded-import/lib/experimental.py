def extra_outputs(stack)
    return []
