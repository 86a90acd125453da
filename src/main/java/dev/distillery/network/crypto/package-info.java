/**
 * Hotkeys and signed requests of the Distillery network (DESIGN.md §4, Registry).
 *
 * <p>Ed25519 and BLAKE2b come from BouncyCastle's lightweight API rather than the JDK's
 * {@code Ed25519} provider: the protocol carries raw 32-byte public keys and stores 32-byte seeds,
 * which BouncyCastle takes as they are, while the JDK wants X.509/PKCS#8 encodings or an
 * {@code EdECPoint} (little-endian y plus an x-parity bit) and would need hand-written conversions;
 * BLAKE2b (for SS58 checksums) is not in the JDK at all, so one library serves both. Public keys
 * are fully validated (on the curve, canonical, in the prime-order subgroup) before use.
 */
package dev.distillery.network.crypto;
