//! Tamper-evident chains (全程留痕): each record's hash covers the previous hash and the record,
//! with SM3 (GB/T 32905), so changing or removing any record breaks every later link.

use sm3::{Digest, Sm3};

/// The hash before the first record of a chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one record that the hash covers, exactly as stored.
#[derive(Debug, Clone, Copy)]
pub struct Link<'a> {
    /// The chain the record belongs to (a case's id, or "audit").
    pub chain: &'a str,
    pub seq: i64,
    pub kind: &'a str,
    pub actor: &'a str,
    pub at_ms: i64,
    /// The payload as stored (JSON text); hashed as text so re-serialising cannot change it.
    pub payload: &'a str,
}

/// One record of a case's event log as stored: every field, so the hash covers who acted in
/// which role and at which window, the step, and whether the applicant sees it (ADR 0019).
#[derive(Debug, Clone, Copy)]
pub struct EventLink<'a> {
    pub link: Link<'a>,
    pub role: &'a str,
    pub window: Option<&'a str>,
    pub step: Option<i64>,
    pub public: bool,
    /// Events stored before ADR 0019 were chained over [`Link`]'s fields alone.
    pub format: LinkFormat,
}

/// Which fields of a case event its hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFormat {
    /// Chain, sequence, kind, actor, time and payload: events stored before ADR 0019.
    Partial,
    /// Every stored field.
    Whole,
}

/// A record of a chain: where it sits, and its hash given the hash before it.
pub trait Record {
    fn chain(&self) -> &str;
    fn seq(&self) -> i64;
    fn hash(&self, prev: &str) -> String;
}

impl Record for Link<'_> {
    fn chain(&self) -> &str {
        self.chain
    }

    fn seq(&self) -> i64 {
        self.seq
    }

    fn hash(&self, prev: &str) -> String {
        link_hash(prev, self)
    }
}

impl Record for EventLink<'_> {
    fn chain(&self) -> &str {
        self.link.chain
    }

    fn seq(&self) -> i64 {
        self.link.seq
    }

    fn hash(&self, prev: &str) -> String {
        match self.format {
            LinkFormat::Partial => link_hash(prev, &self.link),
            LinkFormat::Whole => event_link_hash(prev, self),
        }
    }
}

/// Hex SM3 of `prev` followed by the record's fields, each length-prefixed so fields cannot run into each other.
pub fn link_hash(prev: &str, link: &Link<'_>) -> String {
    fields_hash(&[
        Some(prev),
        Some(link.chain),
        Some(&link.seq.to_string()),
        Some(link.kind),
        Some(link.actor),
        Some(&link.at_ms.to_string()),
        Some(link.payload),
    ])
}

/// Hex SM3 of `prev` followed by every field of a case event, as [`link_hash`] does.
pub fn event_link_hash(prev: &str, e: &EventLink<'_>) -> String {
    let l = &e.link;
    fields_hash(&[
        Some(prev),
        Some(l.chain),
        Some(&l.seq.to_string()),
        Some(l.kind),
        Some(l.actor),
        Some(e.role),
        e.window,
        e.step.map(|s| s.to_string()).as_deref(),
        Some(if e.public { "1" } else { "0" }),
        Some(&l.at_ms.to_string()),
        Some(l.payload),
    ])
}

/// An absent field is hashed as a length no text can have, so it differs from an empty one.
fn fields_hash(fields: &[Option<&str>]) -> String {
    let mut h = Sm3::new();
    for field in fields {
        match field {
            Some(f) => {
                h.update((f.len() as u64).to_be_bytes());
                h.update(f.as_bytes());
            }
            None => h.update(u64::MAX.to_be_bytes()),
        }
    }
    // Every event of every case passes here (a data-volume load hashes tens of millions), so
    // the hex is written digit by digit rather than formatted byte by byte.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in h.finalize() {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

/// The first record whose stored hash does not match.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("chain {chain} is broken at record {seq}")]
pub struct BrokenLink {
    pub chain: String,
    pub seq: i64,
}

/// Follows a chain in order and names the first broken link.
pub fn verify<'a, R: Record>(
    links: impl IntoIterator<Item = (R, &'a str)>,
) -> Result<u64, BrokenLink> {
    let mut prev = GENESIS.to_owned();
    let mut count = 0;
    for (expected_seq, (link, stored)) in (1..).zip(links) {
        if link.seq() != expected_seq || link.hash(&prev) != stored {
            return Err(BrokenLink {
                chain: link.chain().to_owned(),
                seq: link.seq(),
            });
        }
        prev = stored.to_owned();
        count += 1;
    }
    Ok(count)
}

/// Who may read the audit log: the centre admin, whose actions fill much of it, and the
/// supervisors (效能监察) who oversee everyone's.
pub fn may_read_log(roles: &[crate::organisation::Role]) -> bool {
    use crate::organisation::Role;
    roles
        .iter()
        .any(|r| matches!(r, Role::CentreAdmin | Role::Supervisor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admin_and_the_supervisors_read_the_log_and_no_one_else() {
        use crate::organisation::Role;
        for role in [Role::CentreAdmin, Role::Supervisor] {
            assert!(may_read_log(&[Role::Clerk, role]), "{role:?}");
        }
        for role in [
            Role::Applicant,
            Role::Clerk,
            Role::Approver,
            Role::ChiefRepresentative,
            Role::Leader,
        ] {
            assert!(!may_read_log(&[role]), "{role:?}");
        }
    }

    fn chain(payloads: &[&'static str]) -> Vec<(Link<'static>, String)> {
        let mut prev = GENESIS.to_owned();
        payloads
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let link = Link {
                    chain: "c1",
                    seq: i as i64 + 1,
                    kind: "k",
                    actor: "a",
                    at_ms: 7,
                    payload: p,
                };
                prev = link_hash(&prev, &link);
                (link, prev.clone())
            })
            .collect()
    }

    #[test]
    fn a_link_hash_is_the_lowercase_hex_sm3_of_the_length_prefixed_fields() {
        let link = Link {
            chain: "c1",
            seq: 2,
            kind: "k",
            actor: "a",
            at_ms: 7,
            payload: "{}",
        };
        let mut h = Sm3::new();
        for field in [GENESIS, "c1", "2", "k", "a", "7", "{}"] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field);
        }
        let expected: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(link_hash(GENESIS, &link), expected);
    }

    #[test]
    fn sm3_matches_the_standard_example() {
        // GB/T 32905-2016 example 1: SM3("abc").
        let d: String = Sm3::digest(b"abc")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            d,
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(&["{}", "{\"a\":1}", "{}"]);
        assert_eq!(verify(c.iter().map(|(l, h)| (*l, h.as_str()))), Ok(3));
    }

    #[test]
    fn a_changed_payload_names_its_record() {
        let mut c = chain(&["{}", "{\"a\":1}", "{}"]);
        c[1].0.payload = "{\"a\":2}";
        let err = verify(c.iter().map(|(l, h)| (*l, h.as_str()))).unwrap_err();
        assert_eq!(err.seq, 2);
    }

    #[test]
    fn a_removed_record_is_detected() {
        let mut c = chain(&["{}", "{\"a\":1}", "{}"]);
        c.remove(1);
        let err = verify(c.iter().map(|(l, h)| (*l, h.as_str()))).unwrap_err();
        assert_eq!(err.seq, 3);
    }

    fn event_link(format: LinkFormat) -> EventLink<'static> {
        EventLink {
            link: Link {
                chain: "c1",
                seq: 1,
                kind: "accepted",
                actor: "clerk.a01",
                at_ms: 7,
                payload: "{}",
            },
            role: "clerk",
            window: Some("A01"),
            step: Some(0),
            public: true,
            format,
        }
    }

    #[test]
    fn a_whole_link_covers_role_window_step_and_visibility() {
        let original = event_link(LinkFormat::Whole);
        let stored = original.hash(GENESIS);
        let changes: [fn(&mut EventLink<'static>); 5] = [
            |e| e.role = "approver",
            |e| e.window = Some("A02"),
            |e| e.window = Some(""),
            |e| e.step = None,
            |e| e.public = false,
        ];
        for change in changes {
            let mut e = original;
            change(&mut e);
            assert_ne!(e.hash(GENESIS), stored, "{e:?}");
            assert!(verify([(e, stored.as_str())]).is_err());
        }
        assert_eq!(verify([(original, stored.as_str())]), Ok(1));
    }

    #[test]
    fn a_partial_link_is_the_audit_link_of_its_fields() {
        let e = event_link(LinkFormat::Partial);
        assert_eq!(e.hash(GENESIS), link_hash(GENESIS, &e.link));
        assert_ne!(e.hash(GENESIS), event_link(LinkFormat::Whole).hash(GENESIS));
    }
}
