def memory_write(memory, w, u, v):
    erase = w[:, :, None] * u[:, None, :]
    add = w[:, :, None] * v[:, None, :]
    return memory * (1 - erase) + add
