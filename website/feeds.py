"""The site feed: every live article, newest first (RSS and Atom), built on articles' feed."""

from articles.feeds import ArticleFeed, AtomMixin


class SiteFeed(ArticleFeed):
    pass


class SiteAtomFeed(AtomMixin, SiteFeed):
    pass
