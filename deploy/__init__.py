"""Deployment files. Only deploy/native holds Python that other code imports (deploy.native.stack)."""
