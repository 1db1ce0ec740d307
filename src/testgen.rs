//! A small deterministic generator (64-bit LCG) for the tests that recompute a result by brute
//! force on generated input.

/// The generator; the same seed gives the same sequence on every machine.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    /// A number in `0..n`.
    pub(crate) fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}
