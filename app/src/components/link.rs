//! `<A>` inside the community's address: leptos_router's link leaves an absolute `href`
//! as written, ignoring the router's base, so `/register` under `/c/<slug>/` would lead to
//! the first community's page. This one puts the community's base in front.

use leptos::prelude::*;
use leptos_router::components::ToHref;

#[component]
pub fn A<H>(
    href: H,
    #[prop(optional)] exact: bool,
    #[prop(default = true)] scroll: bool,
    children: Children,
) -> impl IntoView
where
    H: ToHref + Send + Sync + 'static,
{
    let href = move || {
        let path = (href.to_href())();
        if path.starts_with('/') && !path.starts_with("//") {
            crate::base::at(&path)
        } else {
            path
        }
    };
    view! {
        <leptos_router::components::A href=href exact=exact scroll=scroll>
            {children()}
        </leptos_router::components::A>
    }
}
