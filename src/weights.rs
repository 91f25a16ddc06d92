//! Every weight and threshold of the matching engine, each with the reason for its size.
//! Scores are additive points; confidence turns them into a probability at the end
//! ([`CONFIDENCE_SCALE`], [`CONFIDENCE_OFFSET`]).

// ── how strongly a code token points at an entry ──
/// A code in one of the provider's own code fields: what the provider said, verbatim.
pub const CODE_IN_FIELD: f32 = 4.0;
/// A code in a field that names only a class (Stripe `type`): a family, not the error.
pub const CODE_IN_CLASS_FIELD: f32 = 2.0;
/// A code the user typed (`412 invalid_token`): what they ask about.
pub const CODE_TYPED: f32 = 4.0;
/// A code-shaped token in free text (`E00027`, `card_declined`) or in a generic `code` key.
pub const CODE_DISTINCT: f32 = 3.0;
/// A plain word that happens to be a code (`declined`, `Forbidden`): says little alone.
pub const CODE_WORD: f32 = 0.8;
/// Added when the code was found qualified by its field (`transStatusReason` `05` is the
/// 3-D Secure reason, not issuer code 05): the field settles which of the same numbers it is.
pub const CODE_QUALIFIED: f32 = 1.0;

// ── entry evidence ──
/// A provider message of three words or more, found whole in the input.
pub const MESSAGE: f32 = 3.0;
/// An SDK exception name specific to one entry.
pub const EXCEPTION: f32 = 3.5;
/// A regex of the entry matched (tried only on providers the input points at).
pub const PATTERN: f32 = 2.5;
/// The input's words cover an entry's message (paraphrases, variable parts): up to this much,
/// scaled by the share of the message's information the input contains; below a verbatim
/// message, and a partial cover stays below a code in a class field.
pub const SIMILAR: f32 = 2.5;
/// Below this share of a message's information the overlap is chance, not a paraphrase.
pub const SIMILAR_MIN: f32 = 0.6;
/// Inputs longer than this many words (traces, logs) cover short messages by chance…
pub const SIMILAR_LONG_WORDS: usize = 60;
/// …so there a message must be covered almost whole.
pub const SIMILAR_MIN_LONG: f32 = 0.85;
/// The input's status is one the entry lists: confirms.
pub const STATUS_MATCH: f32 = 1.5;
/// The input's status is not one the entry lists: weakens, never vetoes.
pub const STATUS_MISMATCH: f32 = -1.0;
/// A status-level entry (no code, no message) brought in by the status alone.
pub const STATUS_ONLY_GENERIC: f32 = 2.0;
/// The endpoint in the input is one the entry lists.
pub const ENDPOINT_MATCH: f32 = 1.2;
/// Another endpoint: a hint against, half a match because paths vary by version.
pub const ENDPOINT_MISMATCH: f32 = -0.6;
/// A rich (non-compact) entry wins a tie against a one-line catalog entry.
pub const RICH_ENTRY: f32 = 0.1;
/// When the input cannot tell providers apart, every provider whose best candidate is within
/// this of the best is listed (`explain 401` lists every provider with a 401).
pub const AMBIGUOUS_BAND: f32 = 2.0;
/// A candidate needs more than this to be shown at all (a lone plain word is not a diagnosis).
pub const MIN_SCORE: f32 = 1.0;

// ── provider evidence (summed per provider, capped, then weighted onto its entries) ──
/// A marker phrase of the provider (`Stripe::`, `request_log_url`).
pub const PROVIDER_MARKER: f32 = 3.0;
/// One of the provider's SDK exception names.
pub const PROVIDER_EXCEPTION: f32 = 3.0;
/// One of the provider's API hosts.
pub const PROVIDER_HOST: f32 = 4.0;
/// Any other host on the provider's domain (`svcs.sandbox.paypal.com`).
pub const PROVIDER_DOMAIN: f32 = 3.0;
/// The provider's name as a word of an identifier, path or sentence (`WC_Stripe_API`,
/// `node_modules/stripe`, `MercadoPago\Client`).
pub const PROVIDER_BRAND: f32 = 2.5;
/// A credential shape, split between the providers that share it, unless a message the input
/// quotes belongs to just one of them.
pub const PROVIDER_CREDENTIAL: f32 = 2.5;
/// A code-shaped token (`BAD_REQUEST_ERROR`, `E00027`) in any field or in text that no other
/// provider uses: the provider's own vocabulary.
pub const PROVIDER_UNIQUE_CODE: f32 = 2.5;
/// An endpoint that only this provider's errors list (`POST /payment/request`).
pub const PROVIDER_UNIQUE_ENDPOINT: f32 = 2.5;
/// An object id of the provider's shape (`ch_…`, `tr_…`), split between providers sharing it.
pub const PROVIDER_ID: f32 = 2.5;
/// A body field name the provider uses, split between the providers that use it.
pub const PROVIDER_FIELD: f32 = 1.2;
/// Two or more of one provider's field names together: a fingerprint, not a coincidence.
pub const PROVIDER_FIELDS_TOGETHER: f32 = 1.0;
/// Field names name a provider only when they add up to this (several fields few other
/// providers use: Mercado Pago's `message`, `error`, `status` and `cause` together).
pub const PROVIDER_FIELDS_NAMED: f32 = 2.5;
/// Field names alone never say more than this.
pub const PROVIDER_FIELDS_CAP: f32 = 3.5;
/// Provider evidence is capped so that it decides between providers, not between entries.
pub const PROVIDER_CAP: f32 = 7.0;
/// How much of the capped provider evidence each of its entries gets.
pub const PROVIDER_WEIGHT: f32 = 0.5;
/// Provider evidence from an explicit mention (marker, brand, host, domain, exception,
/// credential) at or above this names the provider; field names alone do not.
pub const PROVIDER_NAMED: f32 = 2.5;

// ── the layers ──
/// An entry scoring at least this on its own evidence (code, message, exception, pattern)
/// is the answer; below it, a provider's or a category's general diagnosis may be better.
pub const ENTRY_SOLID: f32 = 2.5;
/// An entry of a provider the input does not name stands alone only above this: a code in a
/// code field, or a message of five words or more ([`MESSAGE`] + 0.15 a word past three), not
/// one short phrase other providers' errors also say (3.0 pinned twice as many errors of
/// unknown providers on known ones in the dev corpus; 3.4 lost provider answers).
pub const ENTRY_ALONE: f32 = 3.2;
/// A category cue phrase of one word; longer phrases count more (they are rarer).
pub const CUE_WORD: f32 = 1.0;
/// Each further word of a cue phrase.
pub const CUE_EXTRA_WORD: f32 = 0.5;
/// A status that mostly means the category (401 → a rejected credential).
pub const CUE_STATUS: f32 = 1.5;
/// The best entry's category, when entries matched at all.
pub const CUE_ENTRY: f32 = 1.0;
/// The named provider's own entry for the status: it settles a status two kinds share (422 is
/// validation at one provider and a state conflict at another), never a cue word.
pub const CUE_PROVIDER_STATUS: f32 = 0.5;

// ── confidence: a logistic curve over the best score, then calibrated per layer ──
/// Points of score per e-fold of the odds of being right (before calibration).
pub const CONFIDENCE_SCALE: f32 = 2.5;
/// The score at which a lone best candidate is right half the time.
pub const CONFIDENCE_OFFSET: f32 = 3.0;

/// Calibration (Platt scaling) of the raw confidence, per layer: `sigmoid(a·logit(raw) + b)`,
/// fitted on the dev part of the field corpus by `tests/corpus/calibrate.py` so that of the
/// answers shown at 80 %, about 80 % are right (provider and category; the category alone
/// for answers that say the provider is unknown).
pub const CALIBRATION_ENTRY: (f32, f32) = (0.443, 0.158);
/// The named provider's entry for the kind of failure.
pub const CALIBRATION_PROVIDER: (f32, f32) = (0.438, -0.477);
/// A general diagnosis for a named provider (known, or without a knowledge file).
pub const CALIBRATION_GENERAL: (f32, f32) = (1.411, 0.110);
/// A general diagnosis that says the provider is unknown.
pub const CALIBRATION_UNKNOWN: (f32, f32) = (1.238, 0.494);

/// `raw` through a calibration curve, rounded to a percent.
pub fn calibrated(raw: f32, (a, b): (f32, f32)) -> f32 {
    let raw = raw.clamp(0.001, 0.999);
    let p = 1.0 / (1.0 + (-(a * (raw / (1.0 - raw)).ln() + b)).exp());
    (p * 100.0).round() / 100.0
}
