// The PeerJS server (npm `peer`) as its users run it, on a loopback port.
// Clients open ws://127.0.0.1:<port>/peerjs?key=peerjs&id=<id>&token=<token> and exchange
// {type: OFFER|ANSWER|CANDIDATE, dst, payload} messages, which the server forwards to dst.
const { PeerServer } = require("peer");

PeerServer(
  {
    host: "127.0.0.1",
    port: Number(process.env.PORT || 0),
    path: "/",
    // its default of 5000 would cap the benchmark's peers instead of measuring the server
    concurrent_limit: 100000,
  },
  (server) => console.log(`PeerJS listening on port ${server.address().port}`),
);
