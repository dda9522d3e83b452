# Starlette 0.26 (Debian's python3-starlette, the CORS layer FastAPI re-exports) with its CORSMiddleware as its
# documentation configures it, served by uvicorn on 127.0.0.1 and the port the harness gives (PORT). Two real mistakes:
# allow_methods leaves out PUT, which the app's page sends (the middleware then answers the preflight itself, 400
# "Disallowed CORS method", with its own CORS headers), and allow_origin_regex trusts every subdomain.
import os

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.routing import Route


async def health(request):
    return JSONResponse({"ok": True})


async def orders(request):
    if request.method == "PUT":
        return JSONResponse({"saved": True})
    return JSONResponse([{"id": 1}, {"id": 2}])


app = Starlette(
    routes=[Route("/api/health", health), Route("/api/orders", orders, methods=["GET", "PUT"])],
    middleware=[
        Middleware(
            CORSMiddleware,
            allow_origins=["https://app.example.com"],
            allow_origin_regex=r"https://.*\.example\.com",
            allow_credentials=True,
            allow_methods=["GET", "POST"],
            allow_headers=["X-Request-Id"],
        )
    ],
)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
