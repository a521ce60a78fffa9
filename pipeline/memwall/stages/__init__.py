"""The pipeline's stages: the only modules dvc.yaml runs (`sh pipeline/run-stage <name>`).

One module per stage, named after it, each thin: read config -> load inputs -> call the
library -> save outputs. Nothing imports a stage module; library code lives one import away.
"""
