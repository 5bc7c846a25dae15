"""The trivial student client of the grading benchmark: the assignment's exchange over a raw
socket, every reply read whole, the body dot-stuffed. It reads what the grader gives every client
(SMTP_HOST, SMTP_PORT, MAIL_FROM, RCPT_TO, MAIL_SUBJECT, MAIL_BODY) and imports nothing heavy, so
its own lifetime is mostly Python's start-up."""
import os
import socket

sock = socket.create_connection((os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"])))
replies = sock.makefile("rb")


def reply():
    while True:
        line = replies.readline()
        if not line or line[3:4] != b"-":
            return line


def command(text):
    sock.sendall(text.encode() + b"\r\n")
    return reply()


sender = os.environ["MAIL_FROM"]
recipients = os.environ["RCPT_TO"].split(",")
subject = os.environ.get("MAIL_SUBJECT", "smtp-lab bench")
body = os.environ.get("MAIL_BODY", "I love computer networks!\n")
reply()
command("EHLO bench.smtp-lab.test")
command("MAIL FROM:<%s>" % sender)
for rcpt in recipients:
    command("RCPT TO:<%s>" % rcpt)
command("DATA")
lines = ["From: <%s>" % sender, "To: %s" % ", ".join("<%s>" % r for r in recipients), "Subject: %s" % subject, ""]
lines += ["." + line if line.startswith(".") else line for line in body.splitlines()]
command("\r\n".join(lines) + "\r\n.")
command("QUIT")
sock.close()
