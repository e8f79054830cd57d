def test_fixtures_build_a_network(congregation, member, host):
    from microsolidarity.groups import access

    assert access.is_host(host, congregation)
    assert access.is_active_member(member, congregation)
    assert access.is_host(host, congregation.parent)
