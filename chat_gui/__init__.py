"""The client side and the windows: the client engine, Qt item models and the windows.

Importing this package pulls in no widgets; ``client_engine`` needs only QtCore and
QtNetwork.
"""
