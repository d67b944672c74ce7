//! Geometry of the diagram: where each VPC box, edge item, AZ column, subnet, chip and link goes.
//!
//! VPC boxes are stacked vertically. Inside one, from the top: its title, the edge band (internet
//! and NAT gateways, gateway endpoints, services without a path), a channel where links to the
//! edge run horizontally, the AZ headers, then one column per AZ with its subnets stacked. Each
//! column has a gutter on its right where links run vertically, each in a lane of its own, so a
//! link never crosses a subnet of its own column: it leaves its subnet sideways, runs along the
//! gutter, and turns into its target (a subnet's side, or up through the channel to the edge).
//! Every link has its own port on each box side and its own lane, so no two overlap.
//!
//! Text has no metrics here: labels use a monospace font whose advance is at most [`CHAR_W`], and
//! are cut with `…` to fit (the tooltip keeps the whole name). All coordinates are integers.

use std::collections::BTreeMap;

use privlink_model::ResourceId;

use super::scene::{Scene, SubnetBox, Target, VpcBox};

/// The widest a character of the diagram's 11px monospace font is.
pub(crate) const CHAR_W: i32 = 7;
/// Space around the whole picture.
pub(crate) const MARGIN: i32 = 16;
/// The legend's height.
const LEGEND_H: i32 = 56;
/// The legend's width.
const LEGEND_W: i32 = 800;
const PAD: i32 = 14;
const SUBNET_W: i32 = 288;
const GAP: i32 = 16;
const TITLE_H: i32 = 34;
const EDGE_H: i32 = 24;
const CHIP_H: i32 = 18;
const CHIP_ROW: i32 = 22;
const LINE_H: i32 = 16;
const PORT_STEP: i32 = 7;
const LANE_STEP: i32 = 6;
const CHANNEL_STEP: i32 = 5;
const MIN_INNER_W: i32 = 600;

/// An axis-aligned rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Rect {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) w: i32,
    pub(crate) h: i32,
}

impl Rect {
    fn right(self) -> i32 {
        self.x + self.w
    }

    fn bottom(self) -> i32 {
        self.y + self.h
    }
}

/// The placed picture.
#[derive(Debug)]
pub(crate) struct Layout {
    pub(crate) width: i32,
    pub(crate) height: i32,
    pub(crate) vpcs: Vec<VpcGeometry>,
}

/// One placed VPC box; vectors are parallel to the scene's.
#[derive(Debug)]
pub(crate) struct VpcGeometry {
    pub(crate) rect: Rect,
    /// Where the edge band starts (for the note when it is empty).
    pub(crate) edge_band: Rect,
    pub(crate) edge: Vec<Rect>,
    /// Per column: its header and its subnets.
    pub(crate) columns: Vec<ColumnGeometry>,
    /// Per link: the polyline from the source port to the target.
    pub(crate) links: Vec<Vec<(i32, i32)>>,
}

/// One placed AZ column.
#[derive(Debug)]
pub(crate) struct ColumnGeometry {
    pub(crate) header: Rect,
    pub(crate) subnets: Vec<SubnetGeometry>,
}

/// One placed subnet.
#[derive(Debug)]
pub(crate) struct SubnetGeometry {
    pub(crate) rect: Rect,
    /// The baseline of each workload line.
    pub(crate) workloads: Vec<i32>,
    pub(crate) chips: Vec<Rect>,
}

/// `text` cut to `max` characters, with `…` when cut.
pub(crate) fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The most characters of a label inside a subnet box.
pub(crate) const SUBNET_CHARS: usize = ((SUBNET_W - 16) / CHAR_W) as usize;
/// The most characters of a chip label.
pub(crate) const CHIP_CHARS: usize = 18;
/// The most characters of an edge item label.
pub(crate) const EDGE_CHARS: usize = 44;

fn text_w(text: &str) -> i32 {
    i32::try_from(text.chars().count()).unwrap_or(i32::MAX / 2) * CHAR_W
}

fn chip_w(label: &str) -> i32 {
    12 + text_w(&fit(label, CHIP_CHARS))
}

fn edge_w(label: &str) -> i32 {
    16 + text_w(&fit(label, EDGE_CHARS))
}

/// A subnet's place: its column and its row in the column.
type Slot = (usize, usize);
/// A vertical run of a route: the route's index and 0 for the first run, 1 for the last.
type RunKey = (usize, usize);
/// A link attached to a box side: the other end's height (for ordering), the route, and whether the
/// link leaves (true) or arrives (false) there.
type Attachment = (i32, usize, bool);

/// Which side of a box a link attaches to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Left,
    Right,
}

/// How one link is routed, decided from column indices before any geometry.
#[derive(Debug)]
struct Route {
    from: Slot,
    from_side: Side,
    to: RouteEnd,
    /// The gutter of the first vertical run.
    gutter: usize,
    /// For a subnet more than one column away: the gutter of the last vertical run, reached
    /// through the channel (a direct line would cross the columns between).
    far_gutter: Option<usize>,
}

impl Route {
    fn uses_channel(&self) -> bool {
        matches!(self.to, RouteEnd::Edge(_)) || self.far_gutter.is_some()
    }
}

#[derive(Clone, Copy, Debug)]
enum RouteEnd {
    Subnet(Slot, Side),
    Edge(usize),
}

/// Lays out the scene.
pub(crate) fn layout(scene: &Scene) -> Layout {
    let mut y = MARGIN + LEGEND_H;
    let mut width = MARGIN * 2 + (MIN_INNER_W + PAD * 2).max(LEGEND_W);
    let mut vpcs = Vec::new();
    for vpc in &scene.vpcs {
        let g = layout_vpc(vpc, MARGIN, y);
        y = g.rect.bottom() + GAP * 2;
        width = width.max(g.rect.right() + MARGIN);
        vpcs.push(g);
    }
    let height = if vpcs.is_empty() {
        // Room for the note that there is nothing to draw.
        y + 30 + MARGIN
    } else {
        y - GAP * 2 + MARGIN
    };
    Layout {
        width,
        height,
        vpcs,
    }
}

/// One route per link of the box (`None` for a link whose ends are not drawn in it).
fn routes(vpc: &VpcBox) -> Vec<Option<Route>> {
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

fn content_height(s: &SubnetBox) -> i32 {
    let rows = chip_rows(s).len();
    let chips = if rows == 0 {
        0
    } else {
        4 + CHIP_ROW * i32::try_from(rows).unwrap_or(0)
    };
    6 + 18 + LINE_H + LINE_H * i32::try_from(s.workloads.len()).unwrap_or(0) + chips + 8
}

/// The chips of a subnet wrapped into rows: (row, x offset) per chip.
fn chip_rows(s: &SubnetBox) -> Vec<Vec<(usize, i32)>> {
    let mut rows: Vec<Vec<(usize, i32)>> = Vec::new();
    let mut x = 0;
    for (i, chip) in s.chips.iter().enumerate() {
        let w = chip_w(&chip.label);
        if rows.is_empty() || (x > 0 && x + w > SUBNET_W - 16) {
            rows.push(Vec::new());
            x = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((i, x));
        }
        x += w + 4;
    }
    rows
}

fn layout_vpc(vpc: &VpcBox, x0: i32, y0: i32) -> VpcGeometry {
    let routes = routes(vpc);
    let columns = vpc.columns.len();
    let drawn = || routes.iter().flatten();
    let mut lanes = vec![0i32; columns.max(1)];
    let mut ports: BTreeMap<(Slot, Side), i32> = BTreeMap::new();
    for r in drawn() {
        lanes[r.gutter] += 1;
        if let Some(g) = r.far_gutter {
            lanes[g] += 1;
        }
        *ports.entry((r.from, r.from_side)).or_default() += 1;
        if let RouteEnd::Subnet(to, side) = r.to {
            *ports.entry((to, side)).or_default() += 1;
        }
    }
    let gutter_w = |c: usize| 16 + LANE_STEP * lanes.get(c).copied().unwrap_or(0);
    let inner_x = x0 + PAD;
    let mut col_x = Vec::new();
    let mut x = inner_x;
    for c in 0..columns {
        col_x.push(x);
        x += SUBNET_W + gutter_w(c);
    }
    let inner_w = (x - inner_x).max(MIN_INNER_W);

    // The edge band, wrapped to the inner width.
    let band_y = y0 + TITLE_H;
    let mut edge = Vec::new();
    let (mut ex, mut ey) = (inner_x, band_y);
    for item in &vpc.edge {
        let w = edge_w(&item.label);
        if ex > inner_x && ex + w > inner_x + inner_w {
            ex = inner_x;
            ey += EDGE_H + 8;
        }
        edge.push(Rect {
            x: ex,
            y: ey,
            w,
            h: EDGE_H,
        });
        ex += w + 10;
    }
    let band_bottom = if vpc.edge.is_empty() {
        band_y + 18
    } else {
        ey + EDGE_H
    };
    let edge_links = drawn().filter(|r| r.uses_channel()).count();
    let channel_top = band_bottom + 6;
    let channel_h = 6 + CHANNEL_STEP * i32::try_from(edge_links).unwrap_or(0);
    let header_y = channel_top + channel_h + 4;
    let subnets_y = header_y + 24;

    // Columns and subnets.
    let mut geometry_columns = Vec::new();
    let mut bottom = subnets_y;
    for (c, column) in vpc.columns.iter().enumerate() {
        let mut sy = subnets_y;
        let mut subnets = Vec::new();
        for (r, s) in column.subnets.iter().enumerate() {
            let most_ports = [Side::Left, Side::Right]
                .iter()
                .map(|side| ports.get(&((c, r), *side)).copied().unwrap_or(0))
                .max()
                .unwrap_or(0);
            let h = content_height(s).max(16 + PORT_STEP * most_ports);
            let rect = Rect {
                x: col_x[c],
                y: sy,
                w: SUBNET_W,
                h,
            };
            let workloads = (0..s.workloads.len())
                .map(|i| sy + 6 + 18 + LINE_H + LINE_H * i32::try_from(i + 1).unwrap_or(0) - 4)
                .collect();
            let chips_top =
                sy + 6 + 18 + LINE_H + LINE_H * i32::try_from(s.workloads.len()).unwrap_or(0) + 4;
            let mut chips = vec![Rect::default(); s.chips.len()];
            for (row, placed) in chip_rows(s).iter().enumerate() {
                for (i, offset) in placed {
                    chips[*i] = Rect {
                        x: rect.x + 8 + offset,
                        y: chips_top + CHIP_ROW * i32::try_from(row).unwrap_or(0),
                        w: chip_w(&s.chips[*i].label),
                        h: CHIP_H,
                    };
                }
            }
            subnets.push(SubnetGeometry {
                rect,
                workloads,
                chips,
            });
            sy += h + GAP;
        }
        bottom = bottom.max(sy - GAP);
        geometry_columns.push(ColumnGeometry {
            header: Rect {
                x: col_x[c],
                y: header_y,
                w: SUBNET_W,
                h: 20,
            },
            subnets,
        });
    }
    if columns == 0 {
        bottom = subnets_y + 20;
    }
    let rect = Rect {
        x: x0,
        y: y0,
        w: inner_w + PAD * 2,
        h: bottom + PAD - y0,
    };
    let links = route_links(&routes, &geometry_columns, &edge, &col_x, channel_top);
    VpcGeometry {
        rect,
        edge_band: Rect {
            x: inner_x,
            y: band_y,
            w: inner_w,
            h: band_bottom - band_y,
        },
        edge,
        columns: geometry_columns,
        links,
    }
}

/// Turns routes into polylines: ports on box sides, lanes in gutters and the channel.
fn route_links(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_to_fit() {
        assert_eq!(fit("aws_subnet.a", 20), "aws_subnet.a");
        assert_eq!(fit("aws_subnet.a_very_long_name", 10), "aws_subne…");
    }
}
