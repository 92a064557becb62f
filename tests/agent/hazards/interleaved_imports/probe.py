from pkg import big

print(big.report(), big.ZLIB_VERSION == __import__("zlib").ZLIB_VERSION, big.HAVE_THREADS)
