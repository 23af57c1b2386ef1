// chartkeeper's pages work without this script; it only adds conveniences.
