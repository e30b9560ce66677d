#!/bin/sh
# `npm test` runs every test (test/**/*.test.ts); `npm test -- <path>…` runs just those
# files or folders (a folder means the *.test.ts files under it). Other arguments go to
# mocha as they are (`npm test -- test/domain --grep=mention`). POSIX sh: runs on CI too.
set -eu
all='test/**/*.test.ts'
paths=0
for arg do
  shift
  case $arg in
    -*) ;;
    *) if [ -d "$arg" ]; then arg="${arg%/}/**/*.test.ts"; paths=$((paths + 1)); elif [ -e "$arg" ]; then paths=$((paths + 1)); fi ;;
  esac
  set -- "$@" "$arg"
done
[ "$paths" -gt 0 ] || set -- "$@" "$all"
exec mocha "$@"
