//! [`Engine`]: the validated configuration every call of a client runs on.

use std::sync::Arc;

use super::{BulkRun, Clock, Exchange, Pacer, Pager};
use crate::{
    Api, BulkInput, BulkJob, BulkOptions, CallerRole, Error, HttpRequest, ListQuery, Operation,
    RecordingId, Request, RetryBudget, RetryPolicy, RetryState, SharedRng, Timezone, TrackingId,
};

/// Where requests go and how they are retried; shared by all calls of a client (cheap to
/// share behind an `Arc`).
#[derive(Debug)]
pub struct Engine {
    pub(super) api: Api,
    pub(super) policy: RetryPolicy,
    pub(super) budget: Arc<RetryBudget>,
    pub(super) rng: Arc<SharedRng>,
    pub(super) role: Option<CallerRole>,
    pub(super) bulk: BulkOptions,
    pub(super) concurrency: usize,
    pub(super) pacer: Arc<Pacer>,
    pub(super) clock: Arc<dyn Clock>,
}

impl Engine {
    /// The request builder (base URL, token, user agent).
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Batches a bulk job may have in flight at once, as configured.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// The pace learned from the server's 429s, shared by every request of the client; its
    /// [`Pacer::concurrency`] is how many batches to have in flight now.
    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    /// Whether bulk jobs read every ID back ([`BulkOptions::verify`]).
    pub fn verify(&self) -> bool {
        self.bulk.verify
    }

    /// The client's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The attempts of one trash, restore or purge request. Refuses, before anything is
    /// sent, a request that breaks the role rule when the role is known.
    pub fn operation<O: Operation>(&self, request: &Request<O>) -> Result<Exchange, Error> {
        if let Some(role) = self.role {
            request.check_role(role)?;
        }
        let tracking = self.tracking_id();
        let span = tracing::info_span!(
            "recycle.request",
            operation = %O::KIND,
            tracking_id = %tracking,
            ids = ids_in(request),
        );
        Ok(self.exchange(self.api.operation(request, &tracking), tracking, span))
    }

    /// A bulk job over `ids`: deduplicated and validated (a job with any invalid ID is
    /// refused whole, nothing sent), cut into batches.
    pub fn bulk<O: Operation>(&self, ids: impl BulkInput) -> Result<BulkRun<'_, O>, Error> {
        let plan = ids.into_plan()?;
        let span = tracing::info_span!(
            "recycle.bulk",
            operation = %O::KIND,
            ids = plan.ids().len(),
            duplicates = plan.duplicates(),
            batches = plan.batch_count(self.bulk.batch_size),
        );
        Ok(BulkRun::new(self, BulkJob::new(plan, self.bulk), span))
    }

    /// The pages of a list query over its whole range, in windows of at most 30 days;
    /// open ends are resolved against the client's clock (see [`Windows`](crate::Windows)).
    /// Refuses, before anything is sent, a query that breaks a rule.
    pub fn pager(&self, query: &ListQuery) -> Result<Pager<'_>, Error> {
        let now = self.clock.now();
        query.validate_walk()?;
        let (from, to) = crate::Windows::new(query, now).range();
        let open = query.from_time().is_none() || query.to_time().is_none();
        if open && from.unix_seconds() > to.unix_seconds() {
            return Err(crate::ListQueryError::EmptyRange {
                from: from.to_string(),
                to: to.to_string(),
            }
            .into());
        }
        Ok(Pager::new(self, query.clone(), now))
    }

    /// The attempts of one recording's details request.
    pub fn details(&self, id: &RecordingId, timezone: Option<&Timezone>) -> Exchange {
        let tracking = self.tracking_id();
        let span =
            tracing::info_span!("recycle.details", tracking_id = %tracking, id = %id.as_str());
        let request = self.api.details(id, &tracking, timezone);
        self.exchange(request, tracking, span)
    }

    pub(super) fn tracking_id(&self) -> TrackingId {
        TrackingId::generate(&self.rng)
    }

    pub(super) fn exchange(
        &self,
        request: HttpRequest,
        tracking: TrackingId,
        span: tracing::Span,
    ) -> Exchange {
        Exchange::new(
            request,
            tracking,
            RetryState::new(self.policy, self.budget.clone(), self.rng.clone()),
            self.pacer.clone(),
            self.clock.clone(),
            span,
        )
    }
}

fn ids_in<O: Operation>(request: &Request<O>) -> usize {
    match request.target() {
        crate::Target::Ids(ids) => ids.len(),
        _ => 0,
    }
}
