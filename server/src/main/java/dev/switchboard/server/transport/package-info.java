/**
 * The transport port: everything a transport implements ({@link dev.switchboard.server.transport.PeerLink}) or
 * calls ({@link dev.switchboard.server.transport.SignalingPort}, {@link dev.switchboard.server.transport.Connection},
 * {@link dev.switchboard.server.transport.MessageCodec}). Adapters live in the subpackages, one per transport,
 * and import nothing of the core but this package; the core imports nothing of the adapters. Adding a transport
 * touches this package, the new adapter and the wiring ({@code Switchboard}) only.
 */
package dev.switchboard.server.transport;
