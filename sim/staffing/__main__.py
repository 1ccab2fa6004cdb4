from sim.staffing.app import main

main()
