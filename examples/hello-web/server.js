// hello-web for Dockerfile.node: the same two pages busybox httpd serves in the default Dockerfile.
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");
const ms = require("ms");

const page = fs.readFileSync(path.join(__dirname, "public", "index.html"));

const server = http.createServer((req, res) => {
  console.log(`${req.method} ${req.url}`);
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(page);
  } else if (req.url === "/cgi-bin/hello") {
    const now = new Date().toISOString().slice(11, 19);
    const installed = fs.readdirSync(path.join(__dirname, "node_modules")).filter((n) => !n.startsWith("."));
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(
      `hello from container ${os.hostname()} at ${now} UTC\n` +
        `dependencies installed: ${installed.join(" ")}\n` +
        `server up ${ms(Math.round(process.uptime() * 1000))}\n`,
    );
  } else {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found\n");
  }
});

const port = Number(process.env.PORT || 80);
server.listen(port, () => console.log(`listening on :${port}`));
// PID 1 in a container gets SIGTERM from `docker stop`: close and exit rather than wait to be killed
process.on("SIGTERM", () => server.close(() => process.exit(0)));
