/**
 * How far apart the clocks of Keyway instances and their database may be without weakening
 * single use (docs/decisions.md, "Expiring records and clock skew").
 *
 * Each instance decides with its own clock whether an assertion, an access token or a code is
 * still acceptable; the record that refuses its second use (a `jti`, a revocation, a redeemed
 * code) must therefore outlive the acceptance window at every instance. So no record is purged
 * before the database's clock is this margin past its expiry: an instance whose clock runs up to
 * this much behind the database's (or, on SQLite, behind the machine's) still finds every record
 * it could need. The same margin bounds how far the clock of the instance that purges may be
 * ahead: it no longer matters, since the cut-off is the database's.
 */
export const CLOCK_SKEW_MARGIN_SECONDS = 300;

/**
 * Beyond this difference between an instance's clock and the database's, the purger logs a
 * warning each pass: half the margin, so that a drifting clock is noticed before it matters.
 */
export const CLOCK_SKEW_WARNING_SECONDS = CLOCK_SKEW_MARGIN_SECONDS / 2;
