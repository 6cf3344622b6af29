"""One loader or generator per data set; nothing here downloads anything."""
