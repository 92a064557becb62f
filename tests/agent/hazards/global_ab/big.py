"""Connection settings, configured once by ``configure``."""

host = None
port = None


def configure(new_host, new_port):
    """Set both settings at once."""
    global host, port
    host = new_host
    port = new_port


class Client:
    """Talks to the configured server."""

    def address(self):
        return "%s:%s" % (host, port)

    def describe(self):
        return "client for " + self.address()

    def close(self):
        return None


def format_header(name, value):
    return "%s: %s" % (name, value)


def parse_header(line):
    name, _, value = line.partition(":")
    return name.strip(), value.strip()


def join_headers(headers):
    return "\n".join(format_header(k, v) for k, v in headers)


def split_headers(text):
    return [parse_header(line) for line in text.splitlines()]


def header_names(text):
    return [name for name, _ in split_headers(text)]
