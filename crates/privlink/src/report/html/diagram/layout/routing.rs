//! Routing links between boxes: which side of a subnet a link leaves and enters by, which gutter
//! carries its vertical runs, and, for links to the edge or to a subnet more than one column away,
//! a lane in the channel above the columns. Ports, gutter lanes and channel lanes are ordered so
//! that runs nest rather than cross (shorter runs nearer the boxes, longer ones on top).

use std::collections::BTreeMap;

use privlink_model::ResourceId;

use super::super::scene::{Target, VpcBox};
use super::{CHANNEL_STEP, ColumnGeometry, LANE_STEP, PORT_STEP, Rect, SUBNET_W};

/// A subnet's place: its column and its row in the column.
pub(super) type Slot = (usize, usize);
/// A vertical run of a route: the route's index and 0 for the first run, 1 for the last.
type RunKey = (usize, usize);
/// A link attached to a box side: the other end's height (for ordering), the route, and whether the
/// link leaves (true) or arrives (false) there.
type Attachment = (i32, usize, bool);

/// Which side of a box a link attaches to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Side {
    Left,
    Right,
}

/// How one link is routed, decided from column indices before any geometry.
#[derive(Debug)]
pub(super) struct Route {
    pub(super) from: Slot,
    pub(super) from_side: Side,
    pub(super) to: RouteEnd,
    /// The gutter of the first vertical run.
    pub(super) gutter: usize,
    /// For a subnet more than one column away: the gutter of the last vertical run, reached
    /// through the channel (a direct line would cross the columns between).
    pub(super) far_gutter: Option<usize>,
}

impl Route {
    pub(super) fn uses_channel(&self) -> bool {
        matches!(self.to, RouteEnd::Edge(_)) || self.far_gutter.is_some()
    }
}

#[derive(Clone, Copy, Debug)]
pub(super) enum RouteEnd {
    Subnet(Slot, Side),
    Edge(usize),
}

/// One route per link of the box (`None` for a link whose ends are not drawn in it).
pub(super) fn routes(vpc: &VpcBox) -> Vec<Option<Route>> {
    let mut position: BTreeMap<&ResourceId, Slot> = BTreeMap::new();
    for (c, column) in vpc.columns.iter().enumerate() {
        for (r, s) in column.subnets.iter().enumerate() {
            position.insert(&s.id, (c, r));
        }
    }
    vpc.links
        .iter()
        .map(|l| {
            let from = *position.get(&l.from)?;
            let c = from.0;
            let route = match &l.to {
                Target::Edge(e) => Route {
                    from,
                    from_side: Side::Right,
                    to: RouteEnd::Edge(*e),
                    gutter: c,
                    far_gutter: None,
                },
                Target::Subnet(s) => {
                    let to = *position.get(s)?;
                    let d = to.0;
                    // Leftwards: leave by the left side into the gutter of the column to the left,
                    // arrive at the target's right side. Rightwards: the mirror image.
                    let (from_side, to_side, gutter) = match d.cmp(&c) {
                        std::cmp::Ordering::Less => (Side::Left, Side::Right, c - 1),
                        std::cmp::Ordering::Equal => (Side::Right, Side::Right, c),
                        std::cmp::Ordering::Greater => (Side::Right, Side::Left, c),
                    };
                    let far_gutter = if d + 1 < c {
                        Some(d)
                    } else if d > c + 1 {
                        Some(d - 1)
                    } else {
                        None
                    };
                    Route {
                        from,
                        from_side,
                        to: RouteEnd::Subnet(to, to_side),
                        gutter,
                        far_gutter,
                    }
                }
            };
            Some(route)
        })
        .collect()
}

/// Turns routes into polylines: ports on box sides, lanes in gutters and the channel.
pub(super) fn route_links(
    routes: &[Option<Route>],
    columns: &[ColumnGeometry],
    edge: &[Rect],
    col_x: &[i32],
    channel_top: i32,
) -> Vec<Vec<(i32, i32)>> {
    let drawn = || {
        routes
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().map(|r| (i, r)))
    };
    let rect = |(c, r): Slot| columns[c].subnets[r].rect;
    let gutter_x = |g: usize| col_x[g] + SUBNET_W + 8;

    // Ports: on each side, ordered by where the other end is (routes through the channel go up
    // first), so lines fan out without crossing.
    let mut attached: BTreeMap<(Slot, Side), Vec<Attachment>> = BTreeMap::new();
    for (i, r) in drawn() {
        let up = r.uses_channel();
        let other = match r.to {
            RouteEnd::Subnet(to, _) if !up => rect(to).y,
            _ => i32::MIN,
        };
        attached
            .entry((r.from, r.from_side))
            .or_default()
            .push((other, i, true));
        if let RouteEnd::Subnet(to, side) = r.to {
            let other = if up { i32::MIN } else { rect(r.from).y };
            attached
                .entry((to, side))
                .or_default()
                .push((other, i, false));
        }
    }
    let mut port: BTreeMap<(usize, bool), i32> = BTreeMap::new();
    for ((at, _), mut list) in attached {
        list.sort_unstable();
        let top = rect(at).y;
        for (k, (_, i, outgoing)) in list.into_iter().enumerate() {
            port.insert(
                (i, outgoing),
                top + 10 + PORT_STEP * i32::try_from(k).unwrap_or(0),
            );
        }
    }

    // Anchors on edge items: spread along the bottom, ordered by where the links come from.
    let mut incoming: BTreeMap<usize, Vec<(i32, i32, usize)>> = BTreeMap::new();
    for (i, r) in drawn() {
        if let RouteEnd::Edge(e) = r.to {
            let from = rect(r.from);
            incoming.entry(e).or_default().push((from.x, from.y, i));
        }
    }
    let mut anchor: BTreeMap<usize, i32> = BTreeMap::new();
    for (e, mut list) in incoming {
        list.sort_unstable();
        let n = i32::try_from(list.len()).unwrap_or(1);
        let r = edge[e];
        for (k, (_, _, i)) in list.into_iter().enumerate() {
            let k = i32::try_from(k).unwrap_or(0);
            anchor.insert(i, r.x + (k + 1) * r.w / (n + 1));
        }
    }
    // Where a channel run ends horizontally: the edge anchor or the far gutter (approximated by
    // the gutter's first lane, enough to order the runs).
    let channel_end = |i: usize, r: &Route| match (r.to, r.far_gutter) {
        (RouteEnd::Edge(e), _) => anchor.get(&i).copied().unwrap_or(edge[e].x),
        (RouteEnd::Subnet(..), Some(g)) => gutter_x(g),
        (RouteEnd::Subnet(..), None) => gutter_x(r.gutter),
    };

    // Channel lanes: the longest horizontal run on top, so it passes above the turns of the
    // shorter ones instead of crossing their verticals.
    let mut channel: Vec<(i32, usize)> = drawn()
        .filter(|(_, r)| r.uses_channel())
        .map(|(i, r)| (-(gutter_x(r.gutter) - channel_end(i, r)).abs(), i))
        .collect();
    channel.sort_unstable();
    let channel_y: BTreeMap<usize, i32> = channel
        .iter()
        .enumerate()
        .map(|(k, (_, i))| {
            let k = i32::try_from(k).unwrap_or(0);
            (*i, channel_top + 4 + CHANNEL_STEP * k)
        })
        .collect();

    // The vertical runs: (gutter, from y, to y) per route, first and (through the channel) last.
    let mut runs: BTreeMap<RunKey, (usize, i32, i32)> = BTreeMap::new();
    for (i, r) in drawn() {
        let from = rect(r.from);
        let sy = port.get(&(i, true)).copied().unwrap_or(from.y + 10);
        let target_y = |to: Slot| port.get(&(i, false)).copied().unwrap_or(rect(to).y + 10);
        match (r.to, channel_y.get(&i)) {
            (RouteEnd::Subnet(to, _), None) => {
                runs.insert((i, 0), (r.gutter, sy, target_y(to)));
            }
            (RouteEnd::Subnet(to, _), Some(&cy)) => {
                runs.insert((i, 0), (r.gutter, sy, cy));
                if let Some(g) = r.far_gutter {
                    runs.insert((i, 1), (g, cy, target_y(to)));
                }
            }
            (RouteEnd::Edge(_), cy) => {
                runs.insert((i, 0), (r.gutter, sy, cy.copied().unwrap_or(channel_top)));
            }
        }
    }
    // Gutter lanes: shorter vertical runs nearer the boxes, so runs nest instead of crossing.
    let mut by_gutter: BTreeMap<usize, Vec<(i32, i32, RunKey)>> = BTreeMap::new();
    for (key, (g, y1, y2)) in &runs {
        by_gutter
            .entry(*g)
            .or_default()
            .push(((y1 - y2).abs(), *y1.max(y2), *key));
    }
    let mut lane_x: BTreeMap<RunKey, i32> = BTreeMap::new();
    for (g, mut list) in by_gutter {
        list.sort_unstable();
        for (k, (_, _, key)) in list.into_iter().enumerate() {
            let k = i32::try_from(k).unwrap_or(0);
            lane_x.insert(key, gutter_x(g) + LANE_STEP * k);
        }
    }

    let mut paths = vec![Vec::new(); routes.len()];
    for (i, r) in drawn() {
        let from = rect(r.from);
        let start_x = match r.from_side {
            Side::Left => from.x,
            Side::Right => from.right(),
        };
        let (_, sy, y1) = runs[&(i, 0)];
        let gx = lane_x[&(i, 0)];
        let mut points = vec![(start_x, sy), (gx, sy), (gx, y1)];
        match r.to {
            RouteEnd::Subnet(to, side) => {
                let t = rect(to);
                let tx = match side {
                    Side::Left => t.x,
                    Side::Right => t.right(),
                };
                if let (Some(&(_, cy, ty)), Some(&fx)) = (runs.get(&(i, 1)), lane_x.get(&(i, 1))) {
                    points.extend([(fx, cy), (fx, ty), (tx, ty)]);
                } else {
                    points.push((tx, y1));
                }
            }
            RouteEnd::Edge(e) => {
                let ax = anchor.get(&i).copied().unwrap_or(edge[e].x);
                points.extend([(ax, y1), (ax, edge[e].bottom())]);
            }
        }
        paths[i] = points;
    }
    paths
}
