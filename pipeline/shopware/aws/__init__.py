"""The pipeline's AWS runtime: the stream-processing Lambdas and the lake edges they write through."""
