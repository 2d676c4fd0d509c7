"""The pygame-ce front end: scenes and widgets on top of the engine; it shares everything but drawing."""
