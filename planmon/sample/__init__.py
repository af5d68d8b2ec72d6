"""planmon.sample.qazvin."""
