// A minimal Socket.IO signaling relay in the style of the gateway Switchboard replaces: peers join a
// room, and offer / answer / ice-candidate events are forwarded to the target user with the sender's id.
// No acks, no dedup, no resume: the cheapest relay one would write with Socket.IO.
const http = require("node:http");
const { Server } = require("socket.io");

const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ["websocket"], maxHttpBufferSize: 1e6 });
const socketsByUser = new Map();

io.on("connection", (socket) => {
  socket.on("join-room", ({ roomId, userId }, reply) => {
    socket.data.userId = userId;
    socketsByUser.set(userId, socket);
    socket.join(roomId);
    socket.to(roomId).emit("user-joined", { roomId, userId });
    if (typeof reply === "function") reply({ roomId, members: [...(io.sockets.adapter.rooms.get(roomId) || [])].length });
  });
  for (const event of ["offer", "answer", "ice-candidate"]) {
    socket.on(event, (message) => {
      const target = socketsByUser.get(message.targetUserId);
      if (target) target.emit(event, { ...message, fromUserId: socket.data.userId });
    });
  }
  socket.on("disconnect", () => {
    if (socketsByUser.get(socket.data.userId) === socket) socketsByUser.delete(socket.data.userId);
  });
});

httpServer.listen(Number(process.env.PORT || 0), "127.0.0.1", () =>
  console.log(`Socket.IO relay listening on port ${httpServer.address().port}`),
);
