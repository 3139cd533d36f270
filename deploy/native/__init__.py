"""The native launcher's package: see deploy/native/stack.py for its public API.

Nothing is imported here, so that `python3 -m deploy.native.stack` runs the module only once.
"""
