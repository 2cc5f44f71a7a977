from mentor_sched import load


def test_example_loads_with_96_owed_events(example_path):
    assert len(load(example_path).owed) == 96
