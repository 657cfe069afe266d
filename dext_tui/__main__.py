from dext_tui.cli import main

main()
