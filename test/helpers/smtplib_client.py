"""Delivers one message with Python's smtplib, as a student's client would.

Usage: smtplib_client.py CONFIG_JSON. Prints one JSON line: {"ok": true} or
{"ok": false, "error": "<exception class>", "code": <reply code or null>, "message": "..."}.
Exit status 0 either way (the test judges the result); a crash of this script is non-zero.
"""
import json
import smtplib
import ssl
import sys

cfg = json.loads(sys.argv[1])
host, port = cfg["host"], cfg["port"]


def context():
    if cfg.get("trust") == "default":
        # Does not trust the lab CA: the handshake must fail verification.
        return ssl.create_default_context()
    return ssl.create_default_context(cafile=cfg["cafile"])


result = {"ok": True}
try:
    if cfg["tls"] == "implicit":
        s = smtplib.SMTP_SSL(host, port, context=context(), timeout=20)
    else:
        s = smtplib.SMTP(host, port, timeout=20)
    try:
        s.ehlo("student.example")
        if cfg["tls"] == "starttls":
            s.starttls(context=context())
            s.ehlo("student.example")
        auth = cfg.get("auth")
        if auth:
            s.user, s.password = cfg["user"], cfg["password"]
            if auth == "default":
                s.login(cfg["user"], cfg["password"])
            elif auth == "LOGIN":
                s.auth("LOGIN", s.auth_login)
            elif auth == "PLAIN":
                s.auth("PLAIN", s.auth_plain)
            else:
                raise ValueError(auth)
        with open(cfg["message"], "rb") as f:
            body = f.read()
        s.sendmail(cfg["from"], cfg["to"], body)
        s.quit()
    finally:
        s.close()
except Exception as e:  # report, do not crash: the test asserts on the class and code
    result = {
        "ok": False,
        "error": type(e).__name__,
        "code": getattr(e, "smtp_code", None),
        "message": str(e),
    }
print(json.dumps(result))
