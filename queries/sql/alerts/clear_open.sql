-- clear_open: forget the conditions of the previous last evaluated day; insert_open writes the new ones.
delete from main.alert_open
