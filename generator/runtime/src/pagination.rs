//! Streams over page/limit pagination.


use std::future::Future;

use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use super::Error;

/// The pages of a paginated call (its `pages()`), fetched as the stream is polled. A boxed stream:
/// `Unpin` and `Send`, so `pages.next().await` (with [`StreamExt`](super::StreamExt)) or
/// `pages.try_next().await` (with [`TryStreamExt`](super::TryStreamExt)) works without `pin!`.
pub type Pages<P, E> = BoxStream<'static, Result<P, Error<E>>>;

/// The items of every page of a paginated call (its `items()`), in order; as [`Pages`], usable
/// without `pin!`.
pub type Items<T, E> = BoxStream<'static, Result<T, Error<E>>>;

/// Pages from `first` on: each page is fetched when the stream is polled; the stream ends after
/// the page numbered `max_page`, after an empty page, or after an error (which it yields).
pub fn pages<P, E, F, Fut>(
    first: i64,
    fetch: F,
    max_page: fn(&P) -> i64,
    is_empty: fn(&P) -> bool,
) -> Pages<P, E>
where
    P: Send + 'static,
    E: Send + 'static,
    F: FnMut(i64) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, Error<E>>> + Send + 'static,
{
    stream::unfold((Some(first), fetch), move |(next, mut fetch)| async move {
        let page = next?;
        match fetch(page).await {
            Ok(body) => {
                let last = is_empty(&body) || page >= max_page(&body);
                let next = if last { None } else { page.checked_add(1) };
                Some((Ok(body), (next, fetch)))
            }
            Err(err) => Some((Err(err), (None, fetch))),
        }
    })
    .boxed()
}

/// The items of every page, in order.
pub fn items<P, T, E, S>(pages: S, items_of: fn(P) -> Vec<T>) -> Items<T, E>
where
    S: Stream<Item = Result<P, Error<E>>> + Send + 'static,
    P: 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    pages.flat_map(move |page| {
        let items: Vec<Result<T, Error<E>>> = match page {
            Ok(page) => items_of(page).into_iter().map(Ok).collect(),
            Err(err) => vec![Err(err)],
        };
        stream::iter(items)
    })
    .boxed()
}
