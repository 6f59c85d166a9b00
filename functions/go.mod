module github.com/wagate/wagate/functions

go 1.26.8
