// an extra file whose name is markup
