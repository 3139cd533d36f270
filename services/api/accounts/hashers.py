"""The password hasher: Argon2id with OWASP's recommended parameters.

Django's own Argon2 defaults are 100 MiB of memory and 8 lanes per hash: on a 2-core API
replica that is about 10× the CPU and memory of the OWASP Password Storage Cheat Sheet's
recommendation (19 MiB, 2 passes, 1 lane), which is what every sign-up and login pays. The
algorithm name stays "argon2", so hashes made with other parameters still verify, and Django
re-hashes them with these at the next successful login (must_update).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
