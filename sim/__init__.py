"""coopsim: agent-based, discrete-event simulation of cooperative-driven poverty alleviation."""

__version__ = "0.1.0"
