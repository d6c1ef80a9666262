"""Each apply of the change log, and each searcher opened on what it wrote, records how long its stages took."""

from blogapp.search import get_index, stages


def applies() -> list[dict]:
    return [record for record in stages.read(get_index().path) if "start" in record]


def test_apply_records_each_stage_from_logged_to_position_written(publish):
    publish("Timed save")
    [record] = applies()
    assert record["entries"] == 1
    assert all(0 <= record[stage] < 5 for stage in stages.APPLY_STAGES)


def test_searcher_opened_on_a_new_version_records_how_long_after_the_commit(publish):
    index = get_index()
    publish("First version")
    index.run(lambda searcher: searcher.doc_count())  # this thread's first searcher: not a refresh
    publish("Second version")
    assert index.run(lambda searcher: searcher.doc_count()) == 2
    [record] = [record for record in stages.read(index.path) if "refresh" in record]
    assert 0 <= record["open"] <= record["refresh"] + 0.01 < 5


def test_search_check_prints_each_stage(runner, publish):
    publish("Checked")
    publish("Checked again")
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert "apply stages, last 500: 2 applies of 2 entries since" in result.output
    assert "wake " in result.output and "commit " in result.output


def test_file_is_cut_once_past_its_bound(ctx, monkeypatch):
    monkeypatch.setattr(stages, "MAX_BYTES", 100)
    path = get_index().path
    for _ in range(5):
        stages.opened(path, 0, 0.001)
    assert len(stages.read(path)) <= 4  # the file and the one before it, each cut at about 100 bytes
