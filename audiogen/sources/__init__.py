"""Sources: what turns a name the user gives (a file, a folder, ``-``, a URL, a feed) into articles."""
