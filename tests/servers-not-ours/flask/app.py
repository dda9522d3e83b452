# A notes API on Flask with Debian's flask-cors 3.0.10, as a team might write it: a regex meant for "our subdomains",
# which flask-cors matches with re.match (anchored at its start only). FLASK_CORS_FIX: a file holding the CORS(...)
# lines the diagnosis printed, run in place of that line (check-diagnosis.mjs pastes it there).
import os
from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
fix = os.environ.get('FLASK_CORS_FIX')
if fix:
    exec(open(fix).read())
else:
    CORS(app, origins=[r"https://.*\.notes\.test"], supports_credentials=True)


@app.get('/health')
def health():
    return jsonify(ok=True)


@app.route('/notes', methods=['GET', 'POST'])
def notes():
    return jsonify([{'id': 1}] if request.method == 'GET' else {'id': 2})


@app.route('/notes/1', methods=['PATCH', 'DELETE'])
def note():
    return jsonify(id=1)


app.run(host='127.0.0.1', port=int(os.environ['PORT']))
