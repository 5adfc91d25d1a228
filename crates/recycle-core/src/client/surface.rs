//! [`client_surface!`](crate::client_surface): the public surface both clients share, written
//! once for a blocking and an async client.

/// Writes a client crate's public surface: its [`Backend`](crate::adapter::Backend) marker,
/// its `ClientBuilder` alias, its `Client` (engine and transport), and the calls that are
/// the same in every client but for `async`: `builder`, `with_transport`, `trash`,
/// `restore`, `purge`, `execute`, `bulk`, `get`, `get_in_timezone`.
///
/// The client crate writes what is its own: `drive` (one exchange to completion, with its
/// transport and sleep, see [`Drive`](crate::adapter::Drive)), `bulk_until` and `list`.
/// For an async client, pass `async await` at the end; the calls are then `async fn`s.
///
/// ```text
/// recycle_core::adapter::client_surface! {
///     /// Builds a blocking [`Client`] on ureq.
///     backend Ureq;
///     /// The blocking client. Cheap to clone; clones share the retry budget.
///     client Client<T = UreqTransport> where [Transport];
///     transport |settings| Ok(UreqTransport::new(settings));
///     /// ...how the blocking `bulk` sends its batches...
///     bulk;
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! client_surface {
    (
        $(#[$backend_doc:meta])*
        backend $backend:ident;
        $(#[$client_doc:meta])*
        client $client:ident<$t:ident = $transport:ty> where [$($bound:tt)+];
        transport |$settings:ident| $make:expr;
        $(#[$bulk_doc:meta])*
        bulk;
        $($async:ident $await:ident)?
    ) => {
        $(#[$backend_doc])*
        #[derive(Debug, Clone, Copy)]
        pub struct $backend;

        /// The builder of this crate's [`Client`]; see [`ClientBuilder`](recycle_core::ClientBuilder)
        /// for every setting and its default.
        pub type ClientBuilder = $crate::ClientBuilder<$backend>;

        impl $crate::adapter::Backend for $backend {
            type Transport = $transport;
            type Client = $client;
            fn transport(
                $settings: &$crate::adapter::TransportSettings,
            ) -> ::std::result::Result<$transport, $crate::Error> {
                $make
            }
            fn client(
                engine: ::std::sync::Arc<$crate::adapter::Engine>,
                transport: $transport,
            ) -> $client {
                $client { engine, transport }
            }
        }

        $(#[$client_doc])*
        #[derive(Debug, Clone)]
        pub struct $client<$t = $transport> {
            engine: ::std::sync::Arc<$crate::adapter::Engine>,
            transport: $t,
        }

        impl $client {
            /// A builder with the defaults.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }
        }

        impl<$t: $($bound)+> $client<$t> {
            /// A client that sends through `transport` (the builder's timeouts and body cap
            /// are then the transport's business).
            pub fn with_transport(
                builder: ClientBuilder,
                transport: $t,
            ) -> ::std::result::Result<Self, $crate::Error> {
                let (engine, _) = builder.into_parts()?;
                Ok(Self {
                    engine: ::std::sync::Arc::new(engine),
                    transport,
                })
            }

            /// Moves recordings into the recycle bin.
            pub $($async)? fn trash(
                &self,
                request: &$crate::TrashRequest,
            ) -> ::std::result::Result<$crate::Receipt, $crate::Error> {
                self.execute(request)$(.$await)?
            }

            /// Restores recordings from the recycle bin.
            pub $($async)? fn restore(
                &self,
                request: &$crate::RestoreRequest,
            ) -> ::std::result::Result<$crate::Receipt, $crate::Error> {
                self.execute(request)$(.$await)?
            }

            /// Purges recordings from the recycle bin for good.
            pub $($async)? fn purge(
                &self,
                request: &$crate::PurgeRequest,
            ) -> ::std::result::Result<$crate::Receipt, $crate::Error> {
                self.execute(request)$(.$await)?
            }

            /// Executes one operation request, with retries. Refuses, before anything is
            /// sent, a request that breaks the role rule when the builder knows the role.
            pub $($async)? fn execute<O: $crate::Operation>(
                &self,
                request: &$crate::Request<O>,
            ) -> ::std::result::Result<$crate::Receipt, $crate::Error> {
                let exchange = self.engine.operation(request)?;
                self.drive(exchange)$(.$await)?.into_receipt()
            }

            /// Runs a bulk job of `operation` ([`Trash`](recycle_core::Trash),
            /// [`Restore`](recycle_core::Restore) or [`Purge`](recycle_core::Purge)) over `ids`: any
            /// collection of IDs, or a [`BulkPlan`](recycle_core::BulkPlan). The IDs are
            /// deduplicated and validated (any invalid ID refuses the whole job, nothing
            /// sent), sent in batches of up to 100, batches refused for their content are
            /// split, 401/403 stops the job, and the report accounts for every ID. IDs whose
            /// outcome is unknown are then read back (every ID with the builder's `verify`).
            /// `on_progress` is called after each batch.
            ///
            $(#[$bulk_doc])*
            pub $($async)? fn bulk<O: $crate::Operation>(
                &self,
                operation: O,
                ids: impl $crate::BulkInput,
                mut on_progress: impl FnMut($crate::Progress),
            ) -> ::std::result::Result<$crate::BulkReport, $crate::Error> {
                let stop = $crate::StopHandle::new();
                self.bulk_until(operation, ids, &stop, |event| {
                    if let $crate::JobEvent::Settled { progress, .. } = event {
                        on_progress(progress);
                    }
                })$(.$await)?
            }

            /// One recording's details (`GET /convergedRecordings/{recordingId}`), with
            /// retries.
            pub $($async)? fn get(
                &self,
                id: &$crate::RecordingId,
            ) -> ::std::result::Result<$crate::Recording, $crate::Error> {
                self.drive(self.engine.details(id, None))$(.$await)?.into_recording()
            }

            /// [`Client::get`], with the `timezone` header (the server's default is UTC).
            pub $($async)? fn get_in_timezone(
                &self,
                id: &$crate::RecordingId,
                timezone: &$crate::Timezone,
            ) -> ::std::result::Result<$crate::Recording, $crate::Error> {
                self.drive(self.engine.details(id, Some(timezone)))$(.$await)?.into_recording()
            }
        }
    };
}
