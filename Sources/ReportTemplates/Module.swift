// Module placeholder; real sources arrive alongside.
