def test_world_builds(world):
    assert world.requisition.engagement.client == world.acme
    assert world.recruiter.is_provider_staff
