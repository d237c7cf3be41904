// Starts fauxqs on 127.0.0.1 on a free port and prints its URL as the first line; objects live in memory.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false });
await app.listen({ host: "127.0.0.1", port: 0 });
console.log(`http://127.0.0.1:${app.server.address().port}`);
