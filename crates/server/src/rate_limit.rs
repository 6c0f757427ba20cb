//! Requests per client address on the routes a guesser or a flood would use (ADR 0034): log-in,
//! verification codes and the public progress query, whose case number and four phone digits
//! are otherwise guessable; and every API request, against a flood from one address. Beyond its quota an address gets 429 with `Retry-After`; everyone else
//! is served as before. The machine itself (loopback) is not limited: its requests are the
//! operator's tools, or a reverse proxy that must be named with `--trusted-proxy` so that its
//! clients are told apart rather than share one quota.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::client::ClientAddr;
use crate::problem::ApiError;

/// The routes that are limited, each with its quota per address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Log-in by password or by code, and the password checks of a session.
    LogIn,
    /// Verification codes sent.
    Code,
    /// The public progress query.
    Progress,
    /// Every API request: a flood from one address is refused before it reaches a route.
    /// Generous, as a hall's clerks may all reach the centre through one address.
    Any,
}

impl Limit {
    /// Requests a minute, and how many may come at once.
    fn quota(self) -> Quota {
        let (per_minute, burst) = match self {
            Limit::LogIn => (60, 30),
            Limit::Code => (10, 5),
            Limit::Progress => (30, 10),
            Limit::Any => (6000, 1000),
        };
        Quota::per_minute(NonZeroU32::new(per_minute).expect("positive"))
            .allow_burst(NonZeroU32::new(burst).expect("positive"))
    }
}

/// Addresses kept before the ones not seen lately are forgotten.
const KEPT_ADDRESSES: usize = 10_000;

#[derive(Clone)]
pub struct RateLimits {
    log_in: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    code: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    progress: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    any: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Default for RateLimits {
    fn default() -> RateLimits {
        let limiter = |l: Limit| Arc::new(DefaultKeyedRateLimiter::keyed(l.quota()));
        RateLimits {
            log_in: limiter(Limit::LogIn),
            code: limiter(Limit::Code),
            progress: limiter(Limit::Progress),
            any: limiter(Limit::Any),
        }
    }
}

impl RateLimits {
    /// Counts a request of `client` on `limit`'s routes; 429 beyond its quota.
    pub fn check(&self, limit: Limit, client: ClientAddr) -> Result<(), ApiError> {
        if client.0.is_loopback() {
            return Ok(());
        }
        let limiter = match limit {
            Limit::LogIn => &self.log_in,
            Limit::Code => &self.code,
            Limit::Progress => &self.progress,
            Limit::Any => &self.any,
        };
        if limiter.len() > KEPT_ADDRESSES {
            limiter.retain_recent();
        }
        limiter.check_key(&client.0).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            too_many(wait)
        })
    }
}

fn too_many(wait: Duration) -> ApiError {
    let seconds = wait.as_secs() as i64 + 1;
    ApiError::too_many(
        "rate_limited",
        format!("请求过于频繁，请 {seconds} 秒后再试"),
        format!("Too many requests from this address; try again in {seconds} seconds"),
        seconds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_beyond_its_burst_waits_and_others_do_not() {
        let limits = RateLimits::default();
        let guesser = ClientAddr("203.0.113.9".parse().unwrap());
        let other = ClientAddr("198.51.100.4".parse().unwrap());
        for _ in 0..10 {
            limits.check(Limit::Progress, guesser).unwrap();
        }
        let refused = limits.check(Limit::Progress, guesser).unwrap_err();
        assert_eq!(refused.code, "rate_limited");
        assert!(refused.retry_after_s.is_some_and(|s| (1..=3).contains(&s)));
        limits.check(Limit::Progress, other).unwrap();
        // Each route has its own count.
        limits.check(Limit::LogIn, guesser).unwrap();
        let local = ClientAddr("127.0.0.1".parse().unwrap());
        for _ in 0..100 {
            limits.check(Limit::Progress, local).unwrap();
        }
    }
}
