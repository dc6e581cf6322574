"""The build engine: plan, digests, manifest, executors, jobs, the project lock, progress.

The only stage that writes outputs; side builds (preview, pseudo) share it.
"""
