"""An API on Flask with Debian's flask-cors 3.0.10, as cors-matrix checks it.

cors-matrix runs `/usr/bin/python3 app.py` with PORT set to a free port; the app listens on 127.0.0.1 only.
"""
import os

from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)

# Flawed on purpose (declared as findings): the escaped dots make flask-cors treat the entry as a regular expression,
# and flask-cors matches it with re.match, which anchors only the start. So https://app.example.com.evil.test matches
# too, and reads with credentials. The fix: end the pattern with `$` (or give the origin as a plain string).
CORS(
    app,
    resources={r"/api/*": {"origins": [r"https://app\.example\.com"]}},
    supports_credentials=True,
    methods=["GET", "PUT"],
    allow_headers=["Content-Type", "X-Request-Id"],
    max_age=600,
)


@app.get("/health")
def health():
    return "ok"


@app.route("/api/orders", methods=["GET", "PUT"])
def orders():
    return jsonify(orders=[])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
